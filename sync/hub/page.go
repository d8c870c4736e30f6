package hub

import "strconv"

func formatScore(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

const pageHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="10">
<title>edgecluster hub</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}
th{background:#f3f3f3} td.l,th.l{text-align:left}
.online{color:#080}.offline{color:#a00}
</style></head><body>
<h1>edgecluster hub</h1>
{{if not .}}<p>No device has reported yet.</p>{{end}}
{{range .}}
<h2>{{.ID}} <small class="{{if .Status}}{{.Status.State}}{{end}}">
{{- if .Status}}{{.Status.State}}{{else}}state unknown{{end}}</small></h2>
<p>last seen {{ago .LastSeen}}
{{- with .Summary}} · summary #{{.Seq}} · {{.Frames.Embedded}} frames embedded,
{{.Frames.Corrupt}} corrupt · model {{.Model.Name}} ({{.Model.Dims}}-d)
· silhouette {{score .Quality.Silhouette}} · Davies-Bouldin {{score .Quality.DaviesBouldin}}
{{- end}}</p>
{{with .Summary}}
<table><tr><th>cluster</th><th>frames</th><th>silhouette</th><th>Davies-Bouldin</th>
<th class="l">first seen</th><th class="l">last seen</th></tr>
{{range .Clusters}}<tr><td>{{.ID}}</td><td>{{.Count}}</td><td>{{score .Silhouette}}</td>
<td>{{score .DaviesBouldin}}</td><td class="l">{{ago .FirstSeen}}</td>
<td class="l">{{ago .LastSeen}}</td></tr>
{{end}}</table>
{{end}}
{{end}}
</body></html>
`
