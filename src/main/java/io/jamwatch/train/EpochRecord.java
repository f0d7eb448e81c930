package io.jamwatch.train;

/**
 * One point of the learning curve.
 *
 * @param epoch 1-based
 * @param trainLoss mean training loss over the epoch's windows
 * @param validationLoss loss on the validation split (same loss, no dropout)
 * @param validationMetric the early-stopping metric: PR-AUC (risk) or mean squared forecast error
 *     (forecast)
 * @param seconds wall-clock time since the start of training
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, double validationMetric, double seconds) {}
