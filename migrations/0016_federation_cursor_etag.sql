-- An idle pull sends the ETag of its last changes page as If-None-Match and gets a 304 (pull.service pullStep).
ALTER TABLE "federation_cursor" ADD COLUMN "etag" text;
