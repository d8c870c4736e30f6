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

// serveRefinement serves the latest refinement of a device, from the hub
// or idle. A known device without one gets a record in state RefineNone,
// so only an unknown device gets 404.
func (h *Hub) serveRefinement(w http.ResponseWriter, r *http.Request) {
	device := r.PathValue("id")
	if _, err := h.store.device(device); err != nil {
		h.fail(w, r, err)
		return
	}
	rec, ok := h.Refinements()[device]
	if !ok {
		rec = Refinement{Device: device, State: RefineNone}
	}
	writeJSON(w, rec)
}
