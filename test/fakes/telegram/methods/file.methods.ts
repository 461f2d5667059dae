import type { Message, PhotoSize, UserProfilePhotos } from 'telegraf/types';
import { badRequest } from '../bot-api-error';
import type { Params } from '../params';
import { isUploadedFile, type SentPhotoFile, type StoredFile } from '../state-store';
import { senderOf } from '../update-builders';
import { unixSeconds, type MethodHandler } from './method-context';

/** Telegram's limit on a photo caption. */
export const MAX_CAPTION_LENGTH = 1024;

function photoSize(file: StoredFile): PhotoSize {
  return {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    width: file.width,
    height: file.height,
    file_size: file.bytes.length,
  };
}

/**
 * A photo uploaded as multipart (the fake accepts uploads only when started with
 * `acceptUploads`; otherwise the multipart request is refused before it gets here), or named by
 * the file_id of a photo sent before (as the real Bot API: no upload; an id the fake did not give
 * is refused). A photo given by URL is not faked.
 */
const sendPhoto: MethodHandler = (params: Params, context) => {
  const chatId = params.chatId();
  const record = context.store.resolveChat(chatId);
  const photo = params.raw.photo;
  let file: SentPhotoFile;
  let fileId: string | undefined;
  if (typeof photo === 'string') {
    const known = context.store.sentPhotoFiles.get(photo);
    if (!known) throw badRequest('wrong file identifier/HTTP URL specified');
    [file, fileId] = [known, photo];
  } else if (isUploadedFile(photo)) {
    file = { filename: photo.filename, bytes: photo.bytes };
  } else {
    throw badRequest('there is no photo in the request (the fake takes uploaded files only)');
  }
  const caption = params.string('caption');
  if (caption !== undefined && caption.length > MAX_CAPTION_LENGTH) {
    throw badRequest('message caption is too long');
  }
  context.store.assertCanWrite(record);
  const messageId = context.store.nextMessageId(record);
  const at = context.now();
  context.store.photos.push({
    chatId: record.chat.id,
    messageId,
    ...(caption !== undefined ? { caption } : {}),
    filename: file.filename,
    bytes: file.bytes,
    ...(fileId !== undefined ? { byFileId: fileId } : {}),
    at,
  });
  // A photo sent again keeps its file_id; an upload gets a new one.
  const id = fileId ?? `sent-${record.chat.id}-${messageId}`;
  context.store.sentPhotoFiles.set(id, file);
  const size: PhotoSize = {
    file_id: id,
    file_unique_id: `u-${id}`,
    width: 0,
    height: 0,
    file_size: file.bytes.length,
  };
  const message: Message.PhotoMessage = {
    message_id: messageId,
    date: unixSeconds(context),
    from: senderOf(context.store.bot),
    chat: record.chat,
    photo: [size],
    ...(caption !== undefined ? { caption } : {}),
  } as Message.PhotoMessage;
  return message;
};

const getUserProfilePhotos: MethodHandler = (params, context) => {
  const userId = params.integer('user_id');
  if (userId === undefined) throw badRequest('user_id is not specified');
  const offset = params.integer('offset') ?? 0;
  const limit = params.integer('limit') ?? 100;
  const photos = context.store.profilePhotos.get(userId) ?? [];
  const result: UserProfilePhotos = {
    total_count: photos.length,
    photos: photos.slice(offset, offset + limit).map((sizes) => sizes.map(photoSize)),
  };
  return result;
};

const getFile: MethodHandler = (params, context) => {
  const fileId = params.requiredString('file_id', 'file_id is not specified');
  const file = context.store.files.get(fileId);
  if (!file) throw badRequest('wrong file_id or the file is temporarily unavailable');
  return {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    file_size: file.bytes.length,
    file_path: file.filePath,
  };
};

export const FILE_METHODS = { sendPhoto, getUserProfilePhotos, getFile };
