package cluster

import "time"

// Lineage event kinds.
const (
	// LineageSeed marks a cluster created by k-means++ seeding.
	LineageSeed = "seed"

	// LineageMerge marks two clusters merged into one. From lists both ids,
	// the surviving one first, and Into is the surviving id.
	LineageMerge = "merge"

	// LineageSpawn marks a cluster started at a single vector after seeding.
	LineageSpawn = "spawn"

	// LineageSplit marks a new cluster split off an existing one, which
	// keeps its id and its frames. From lists the split id, and Into is the
	// new id.
	LineageSplit = "split"

	// LineageRefine marks a refinement, such as DEC, that moved the
	// centroids of the clusters in From, in ascending order. Every cluster
	// keeps its id, frames and label, and Into is From[0].
	LineageRefine = "refine"
)

// MaxLineage is the number of most recent lineage events a model keeps.
const MaxLineage = 256

// LineageEvent records a change in the set of cluster ids.
type LineageEvent struct {
	// Time and Frame identify the frame whose observation caused the event.
	Time  time.Time
	Frame uint64

	// Kind is LineageSeed, LineageMerge, LineageSpawn, LineageSplit or
	// LineageRefine.
	Kind string

	// From contains the ids that the event consumed or split. It is empty
	// for seed and spawn events.
	From []int

	// Into is the id of the cluster that the event created or kept.
	Into int
}

// Lineage returns a copy of the most recent lineage events, oldest first.
// Cluster ids are never reused, so an id that a merge retires never comes
// back.
func (m *Model) Lineage() []LineageEvent {
	return copyLineage(m.lineage)
}

// record appends an event and drops the oldest ones beyond MaxLineage.
func (m *Model) record(e LineageEvent) {
	m.stale = true // every recorded event adds or removes clusters
	m.events++
	if len(m.lineage) == MaxLineage {
		copy(m.lineage, m.lineage[1:])
		m.lineage = m.lineage[:len(m.lineage)-1]
	}
	m.lineage = append(m.lineage, e)
}

func copyLineage(events []LineageEvent) []LineageEvent {
	var out []LineageEvent
	for _, e := range events {
		e.From = append([]int(nil), e.From...)
		out = append(out, e)
	}
	return out
}

// Survivors maps every id that a merge in events retired to the id that
// holds its frames after the last event, following chains of merges. Ids
// retired by merges older than the events given are not in the map.
func Survivors(events []LineageEvent) map[int]int {
	into := map[int]int{}
	for _, e := range events {
		if e.Kind == LineageMerge && len(e.From) == 2 {
			into[e.From[1]] = e.Into
		}
	}
	for id := range into {
		final := into[id]
		for seen := 0; seen < len(into); seen++ {
			next, ok := into[final]
			if !ok {
				break
			}
			final = next
		}
		into[id] = final
	}
	return into
}
