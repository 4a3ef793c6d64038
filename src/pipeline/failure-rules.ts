import type { FailureRules } from '../../queues/job-queue.js';
import { isStorageError } from '../errors/storage.error.js';
import { isUnsupportedInputError } from '../errors/unsupported-input.error.js';

/** The pipeline's error taxonomy as the queues need it: unusable input is final, a full disk stops the batch. */
export const pipelineFailureRules: FailureRules = {
  isUnrecoverable: isUnsupportedInputError,
  stopsBatch: isStorageError,
};
