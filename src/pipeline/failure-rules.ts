import type { FailureRules } from '../../queues/job-queue.js';
import { isStorageError } from '../errors/storage.error.js';
import { isUnsupportedInputError } from '../errors/unsupported-input.error.js';
import { DocumentNotStoredError } from './persist-document.js';

/**
 * The pipeline's error taxonomy as the queues need it: unusable input, and a result the
 * database refuses (already recorded against its document), are final; a full disk stops the batch.
 */
export const pipelineFailureRules: FailureRules = {
  isUnrecoverable: (error) => isUnsupportedInputError(error) || error instanceof DocumentNotStoredError,
  stopsBatch: isStorageError,
};
