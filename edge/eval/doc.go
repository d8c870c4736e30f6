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
// shows the mean and standard deviation of each score. LoadMNIST, LoadDigits and LoadScenes read the three
// data sets of `edgecluster eval`, and CheckGoals checks its targets.
package eval
