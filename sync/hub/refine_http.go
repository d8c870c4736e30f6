package hub

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// serveRefine runs RefineCentroids for the form's device and returns to
// the device on the page.
func (h *Hub) serveRefine(w http.ResponseWriter, r *http.Request) {
	ses, ok := h.writer(w, r)
	if !ok {
		return
	}
	device := r.PostFormValue("device")
	if device == "" {
		http.Error(w, "missing device: the form needs a device id", http.StatusBadRequest)
		return
	}
	h.log.Info("refinement requested", "device", device, "user", ses.user)
	_, err := h.RefineCentroids(r.Context(), device, RefineOptions{})
	switch {
	case errors.Is(err, ErrRefineInput):
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	case errors.Is(err, ErrRefineTimeout):
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	anchor := "#" + url.PathEscape(fmt.Sprintf("d-%s", device))
	http.Redirect(w, r, "/"+anchor, http.StatusSeeOther)
}

// serveRefinement serves the latest refinement of a device.
func (h *Hub) serveRefinement(w http.ResponseWriter, r *http.Request) {
	device := r.PathValue("id")
	rec, ok := h.Refinements()[device]
	if !ok {
		http.Error(w, fmt.Sprintf("no refinement of device %q since the hub started", device),
			http.StatusNotFound)
		return
	}
	writeJSON(w, rec)
}
