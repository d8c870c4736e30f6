// Package gate decides which decoded frames are worth embedding. A frame
// passes when it differs enough from the last frame that passed. Frames of
// a static scene are gated, so each costs one decode and a small thumbnail
// instead of a CNN run.
//
// The difference is the mean absolute difference of the luma of a small
// thumbnail (box-averaged, 32 pixels wide by default), on a 0-255 scale.
// Camera noise and JPEG artefacts stay around 1, so the default threshold
// of 4 passes lighting changes, people and moved objects.
package gate
