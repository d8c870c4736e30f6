package modeltools

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// maxNameColumn bounds the tensor name column of WriteText, because
// converter names can run to hundreds of characters.
const maxNameColumn = 60

// WriteText writes r as aligned plain-text sections.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if r.Name != "" {
		fmt.Fprintf(tw, "model\t%s\n", r.Name)
	}
	fmt.Fprintf(tw, "description\t%s\nschema version\t%d\n", r.Description, r.Version)
	fmt.Fprintf(tw, "MACs\t%d (%.2f G)\n", r.MACs, float64(r.MACs)/1e9)
	fmt.Fprintf(tw, "weight bytes\t%d%s\n", r.WeightBytes, typeBytes(r.WeightTypes))
	fmt.Fprintf(tw, "tensors\t%s\n", typeCounts(r.Tensors))

	writeTensors(tw, "\ninputs", r.Inputs)
	writeTensors(tw, "\noutputs", r.Outputs)

	fmt.Fprintf(tw, "\nops\tcount\tMACs\n")
	for _, op := range r.Ops {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", op.Name, op.Count, op.MACs)
	}

	fmt.Fprintf(tw, "\nembedding candidates\ttype\tshape\tproducer\treason\n")
	for _, c := range r.Candidates {
		fmt.Fprintf(tw, "%d %s\t%s\t%v\top %d\t%s\n", c.Index, shorten(c.Name), c.TypeName,
			c.Shape, c.Producer, c.Reason)
	}
	return tw.Flush()
}

func writeTensors(w io.Writer, title string, tensors []Tensor) {
	fmt.Fprintf(w, "%s\ttype\tshape\n", title)
	for _, t := range tensors {
		fmt.Fprintf(w, "%d %s\t%s\t%v\n", t.Index, shorten(t.Name), t.TypeName, t.Shape)
	}
}

func typeBytes(types []TypeBytes) string {
	var parts []string
	for _, t := range types {
		parts = append(parts, fmt.Sprintf("%s %d", t.Type, t.Bytes))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func typeCounts(types []TypeCount) string {
	var parts []string
	for _, t := range types {
		parts = append(parts, fmt.Sprintf("%d %s", t.Count, t.Type))
	}
	return strings.Join(parts, ", ")
}

// shorten cuts a long tensor name to its first maxNameColumn characters,
// marking the cut with "...".
func shorten(name string) string {
	if len(name) <= maxNameColumn {
		return name
	}
	return name[:maxNameColumn-3] + "..."
}
