// Package embed turns a picture into an embedding: it converts the image to
// RGB, resizes it to the model's input size, normalises pixel values the way
// the model was trained, runs the model to its feature tensor, averages that
// tensor over its spatial positions and scales the result to unit length.
//
// An Embedder is not safe for concurrent use. Clone gives another one that
// shares the parsed model and its weights.
package embed
