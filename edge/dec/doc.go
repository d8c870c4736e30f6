// Package dec clusters vectors with a learned embedding: Deep Embedded
// Clustering (DEC, Xie, Girshick and Farhadi, ICML 2016) and Improved DEC
// (IDEC, Guo, Gao, Liu and Yin, IJCAI 2017).
//
// An Autoencoder is a symmetric MLP trained with mean squared error and
// early stopping on a held-out fraction of the samples. Its encoder maps
// each vector to a short code. Training may corrupt its inputs with masking
// noise (TrainConfig.Corruption), which makes it a denoising autoencoder.
// Cluster initialises K centroids by k-means on the codes, or takes them
// from Config.Centroids, then alternates two steps: every UpdateInterval
// mini-batches it recomputes the target distribution P from the Student-t soft
// assignments Q, and on each mini-batch it lowers KL(P‖Q) by moving the
// centroids and the encoder weights with Adam. With IDEC set, the
// reconstruction loss stays in the objective, weighted against the
// clustering loss by Gamma, so the codes keep describing the input. Training
// stops when fewer than Tolerance of the samples change cluster between two
// target updates.
//
// SaveEncoder and LoadEncoder store a trained encoder in the binary format
// described at SaveEncoder.
package dec
