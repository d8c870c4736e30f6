// Package eval scores clusterings against ground truth: it joins per-frame
// cluster assignments with a manifest of true scenes and reports, per
// cluster, its size and dominant scene, and overall the normalised mutual
// information (NMI).
package eval
