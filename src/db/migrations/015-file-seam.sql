-- The last bytes before a file's read offset (up to 64, as hex): a file rewritten in place on the same inode,
-- keeping its first 4 KiB and growing, no longer has them there, and is read again from 0 instead of from the
-- old offset (which lost or split the lines around it). NULL until the file's next commit.
ALTER TABLE files ADD COLUMN seam TEXT;
