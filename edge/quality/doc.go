// Package quality scores clusterings of embeddings.
//
// Silhouette, SampledSilhouette, DaviesBouldin, CalinskiHarabasz and Inertia
// measure how compact and separated the clusters of a labelled point set
// are, using Euclidean distance. NMI, ARI and Accuracy compare a labelling
// with ground truth. The formulas follow scikit-learn 1.2 (silhouette_score,
// silhouette_samples, davies_bouldin_score, calinski_harabasz_score,
// KMeans.inertia_, normalized_mutual_info_score with arithmetic averaging
// and adjusted_rand_score). Accuracy matches scipy's linear_sum_assignment on
// scikit-learn's contingency_matrix. The tests compare against values that
// scikit-learn computed on fixtures in testdata.
//
// Window keeps the most recent embeddings so that a caller can score a
// bounded sample of the stream. All functions are pure and do no I/O.
package quality
