// Package quality scores clusterings of embeddings.
//
// Silhouette and DaviesBouldin measure how compact and separated the clusters
// of a labelled point set are, using Euclidean distance. NMI compares two
// labellings of the same points. The formulas follow scikit-learn 1.2
// (silhouette_score, silhouette_samples, davies_bouldin_score and
// normalized_mutual_info_score with arithmetic averaging), and the tests
// compare against values that scikit-learn computed on fixtures in testdata.
//
// Window keeps the most recent embeddings so that a caller can score a
// bounded sample of the stream. All functions are pure and do no I/O.
package quality
