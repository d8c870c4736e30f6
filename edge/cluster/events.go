package cluster

// Events returns the number of lineage events recorded since the model was
// created or restored. A caller that remembers it can tell whether an
// Observe changed the set of cluster ids without copying Lineage.
func (m *Model) Events() uint64 { return m.events }
