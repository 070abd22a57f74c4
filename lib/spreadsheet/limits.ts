/**
 * Upload limits, one set for the browser check, the HTTP front, Next's body limits and the reader.
 * Client-safe. The HTTP body may be a little larger than the file (multipart framing): next.config.js
 * allows 40 MB per request.
 */
export const maxUploadMegabytes = 30;
export const maxUploadBytes = maxUploadMegabytes * 1024 * 1024;
/** An xlsx is a zip: its declared uncompressed size and each member's ratio are checked before parsing. */
export const maxUncompressedMegabytes = 600;
export const maxCompressionRatio = 200;

export const uploadTooLargeMessage = `文件超过 ${maxUploadMegabytes} MB 的上传上限，请拆分后分批上传`;
