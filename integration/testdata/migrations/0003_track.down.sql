DROP TABLE track;
