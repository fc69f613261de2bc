DROP TABLE album;
DROP TABLE artist;
