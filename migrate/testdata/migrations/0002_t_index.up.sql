-- an index
CREATE INDEX t_id ON t (id);
