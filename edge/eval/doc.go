// Package eval scores clusterings against ground truth.
//
// Compare joins per-frame cluster assignments with a manifest of true
// scenes and reports, per cluster, its size and dominant scene, and overall
// the normalised mutual information (NMI).
//
// Evaluate runs the streaming cluster.Model, batch cluster.KMeans and, through
// scripts/eval_sklearn.py, scikit-learn's MiniBatchKMeans and KMeans on one
// labelled Dataset, and scores every labelling with the same code from
// package quality: ACC, NMI, ARI, silhouette, Davies-Bouldin and inertia,
// with the fit time. Every method runs with several seeds, and the table
// shows the mean and standard deviation of each score. With Options.Deep
// set it also pretrains an autoencoder from package dec and scores k-means
// on its codes, DEC and IDEC, each started from k-means on the codes or
// from k-means on a t-SNE map of them. LoadMNIST, LoadDigits and
// LoadScenes read the three
// data sets of `edgecluster eval`, and CheckGoals checks its targets.
package eval
