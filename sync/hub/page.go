package hub

import (
	"html/template"
	"net/http"
	"strconv"
)

func formatScore(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

var (
	pageTemplate  = template.Must(template.New("page").Funcs(pageFuncs).Parse(pageHTML))
	loginTemplate = template.Must(template.New("login").Parse(loginHTML))
)

const pageStyle = `<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
header{display:flex;gap:1rem;align-items:baseline}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}
th{background:#f3f3f3} td.l,th.l{text-align:left}
.online{color:#080}.offline{color:#a00}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}
.card{border:1px solid #ccc;border-radius:6px;padding:.6rem;width:17rem}
.card h3{margin:0 0 .3rem;font-size:1rem}
.label{font-weight:600}.pending{color:#a60}.confirmed{color:#080}.rejected{color:#a00}
.card form{margin-top:.4rem}.card input[type=text]{width:9rem}
svg.map{border:1px solid #ccc;cursor:grab;background:#fafafa}
.methods a[aria-current]{font-weight:600;text-decoration:none;color:#222}
.thumbs{display:flex;flex-wrap:wrap;gap:3px;margin:.3rem 0}
.thumbs figure{margin:0;font-size:.7rem;text-align:center;width:64px}
.thumbs img{width:64px;border-radius:3px;display:block}
small{color:#666}
</style>`

const pageHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>edgecluster hub</title>` + pageStyle + `</head><body>
<header><h1>edgecluster hub</h1>
{{if .User}}<span id="user">logged in as {{.User}}</span>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="{{.CSRF}}">
<button>Log out</button></form>
{{else if .CanLogin}}<a id="login" href="/login">Log in to label</a>{{end}}
</header>
{{if not .Devices}}<p>No device has reported yet.</p>{{end}}
<h2>Devices</h2>
<table id="devices"><tr><th class="l">device</th><th class="l">state</th>
<th class="l" title="when the hub last received any message from the device">last seen</th>
<th title="messages queued on the device when it sent its latest status">outbox</th>
<th class="l">model</th><th>clusters</th></tr>
{{range .Devices}}<tr><td class="l">{{.ID}}</td><td class="l {{.State}}">{{.State}}</td>
<td class="l">{{ago .LastSeen}}</td>
<td>{{with .Status}}{{.OutboxLen}}{{else}}–{{end}}</td>
<td class="l">{{with .Summary}}{{.Model.Name}} ({{.Model.Dims}}-d){{end}}</td>
<td>{{len .Clusters}}</td></tr>
{{end}}</table>
{{if .Devices}}<p id="device-notes"><small>Last seen is the latest message of any kind from
the device. Outbox counts the messages queued on the device when it sent its latest status: at each
connect, after each summary and when a camera goes up or down.</small></p>{{end}}
{{$csrf := .CSRF}}{{$user := .User}}
{{range .Devices}}
<h2 id="d-{{.ID}}">{{.ID}} <small class="{{.State}}">{{.State}}</small></h2>
{{with .Summary}}<p>summary #{{.Seq}} · {{.Frames.Embedded}} frames embedded,
{{.Frames.Corrupt}} corrupt · silhouette {{score .Quality.Silhouette}}
· Davies-Bouldin {{score .Quality.DaviesBouldin}}</p>{{end}}
{{with .Refinement}}{{if eq .Source "idle"}}<p>idle refinement {{.ID}} on the device:
{{.State}}{{else}}<p>refinement {{.ID}} from summary #{{.Summary}}: {{.State}}{{end}}
{{- if .Moved}}, {{.Moved}} centroids moved{{end}}{{if .MaxShift}} by up to {{kl .MaxShift}}{{end}}
{{- if ne .Source "idle"}} · KL {{kl .KLStart}} → {{kl .KLEnd}}
in {{.Steps}} steps{{end}}{{with .Error}} · <span class="rejected">{{.}}</span>{{end}}</p>{{end}}
{{if and $user .Summary}}{{if .Summary.Reduction}}<p><small>centroids are PCA-reduced,
so only the device can refine them (refine.idle)</small></p>
{{- else if eq .State "offline"}}<p><small>the device is offline, so it would miss
a refinement; refine once it is online</small></p>
{{- else}}<form method="post" action="/refine">
<input type="hidden" name="csrf" value="{{$csrf}}">
<input type="hidden" name="device" value="{{.ID}}">
<button title="run DEC over the stored exemplars and send the centroids to the device">
Refine centroids</button></form>{{end}}{{end}}
<div class="cards">
{{range .Clusters}}
<div class="card" id="c-{{.Device}}-{{.ID}}">
<h3>cluster {{.ID}} · <span class="label">
{{- if .Label}}{{if .Label.Name}}{{.Label.Name}}{{else}}unlabelled{{end}}{{else}}unlabelled{{end}}</span>
{{with .Label}}{{if .State}} <small class="{{.State}}">{{.State}}</small>{{end}}{{end}}</h3>
<div>{{.Count}} frames · silhouette {{score .Silhouette}} · DB {{score .DaviesBouldin}}</div>
<div><small>first {{ago .FirstSeen}}<br>last {{ago .LastSeen}}</small></div>
{{.Chart}}
{{if .Thumbs}}<div class="thumbs">{{range .Thumbs}}<figure id="x-{{.Device}}-{{.Frame}}">
<img src="{{.URL}}" alt="frame {{.Frame}}" title="frame {{.Frame}}">
{{if .Label}}<figcaption class="exlabel">{{.Label}}</figcaption>{{end}}</figure>{{end}}</div>{{end}}
{{with .Label}}{{range .Absorbed}}<div><small>absorbed cluster {{.Cluster}}
labelled {{.Name}}</small></div>{{end}}{{end}}
{{if $user}}<form method="post" action="/labels">
<input type="hidden" name="csrf" value="{{$csrf}}">
<input type="hidden" name="device" value="{{.Device}}">
<input type="hidden" name="cluster" value="{{.ID}}">
<input type="text" name="label" maxlength="64" aria-label="label"
 value="{{with .Label}}{{.Name}}{{end}}">
<select name="exemplar" aria-label="what to label"><option value="">whole cluster</option>
{{range .Thumbs}}<option value="{{.Frame}}">frame {{.Frame}}</option>{{end}}</select>
<button>Save</button></form>{{end}}
</div>
{{end}}
</div>
{{end}}
{{if .Suggested}}<h2>Suggested labels</h2>
<table id="suggested"><tr><th class="l">device</th><th>cluster</th><th class="l">label</th>
<th>confidence</th><th>support</th><th></th></tr>
{{range .Suggested}}<tr><td class="l">{{.Device}}</td><td>{{.Cluster}}</td>
<td class="l">{{.Label}}</td><td>{{pct .Confidence}}</td><td>{{pct .Support}}</td><td>
{{if $user}}<form method="post" action="/labels"><input type="hidden" name="csrf" value="{{$csrf}}">
<input type="hidden" name="device" value="{{.Device}}">
<input type="hidden" name="cluster" value="{{.Cluster}}">
<input type="hidden" name="label" value="{{.Label}}"><button>Accept</button></form>{{end}}
</td></tr>{{end}}</table>{{end}}
{{if .Queue}}<h2>Label these next</h2><ol id="queue">
{{range .Queue}}<li><a href="#c-{{.Device}}-{{.Cluster}}">{{.Device}} cluster {{.Cluster}}</a>
<small>informativeness {{printf "%.2f" .Score}}</small></li>{{end}}</ol>{{end}}
{{if .Fleet}}<h2 id="fleet">Fleet: same scene on several devices</h2>
{{range .Fleet}}<div class="group"><p>{{range .Members}}<a href="#c-{{.Device}}-{{.Cluster}}">
{{- .Device}} cluster {{.Cluster}}</a>{{if .Label}} ({{.Label}}){{end}}; {{end}}</p>
{{if $user}}<form method="post" action="/labels/fleet">
<input type="hidden" name="csrf" value="{{$csrf}}">
{{range .Members}}<input type="hidden" name="member" value="{{.Device}}/{{.Cluster}}">{{end}}
<input type="text" name="label" maxlength="64" aria-label="label for the group">
<button>Label all</button></form>{{end}}</div>
{{end}}{{end}}
{{$method := .MapMethod}}{{$name := .MapName}}
{{range .Maps}}<h2>Cluster map <small>{{$name}} of centroids
{{- if .Exemplars}} and exemplars{{end}}, model {{.Model}}</small></h2>
<p class="methods">Layout:
<a href="?map=pca"{{if eq $method "pca"}} aria-current="page"{{end}}>PCA</a> ·
<a href="?map=tsne"{{if eq $method "tsne"}} aria-current="page"{{end}}>t-SNE</a></p>
{{range .Notes}}<p class="note">{{.}}</p>{{end}}
<svg class="map" width="480" height="480" viewBox="0 0 480 480" role="img"
 aria-label="cluster centroids{{if .Exemplars}} and exemplars{{end}} laid out by {{$name}}">
{{range .Exemplars}}<a href="#c-{{.Device}}-{{.Cluster}}"><circle class="exemplar"
 cx="{{printf "%.1f" .X}}" cy="{{printf "%.1f" .Y}}" r="2.5" fill="{{color .Device}}"
 fill-opacity=".55"><title>{{.Device}} cluster {{.Cluster}} frame {{.Frame}}
{{- with .Label}} {{.}}{{end}}</title></circle></a>
{{end}}{{range .Points}}<a href="#c-{{.Device}}-{{.Cluster}}"><circle cx="{{printf "%.1f" .X}}"
 cy="{{printf "%.1f" .Y}}" r="6" fill="{{color .Device}}"><title>{{.Device}} cluster
{{.Cluster}} {{.Label}} ({{.Count}} frames)</title></circle>
<text x="{{printf "%.1f" .X}}" y="{{printf "%.1f" .Y}}" dx="8" font-size="11">
{{- if .Label}}{{.Label}}{{else}}{{.Cluster}}{{end}}</text></a>
{{end}}</svg>
<p><small>Large dots are cluster centroids, small dots their exemplars.
Scroll to zoom, drag to pan, double-click to reset.</small></p>
{{end}}
<script src="/static/map.js"></script>
</body></html>
`

const loginHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in · edgecluster hub</title>
` + pageStyle + `</head><body><h1>Log in</h1>
{{if not .CanLogin}}<p>Label changes are off: start the hub with --password-hash.</p>
{{else}}{{with .Error}}<p class="rejected" id="error">{{.}}</p>{{end}}
<form method="post" action="/login">
<p><label>User <input type="text" name="user" autocomplete="username"></label></p>
<p><label>Password <input type="password" name="password"
 autocomplete="current-password"></label></p>
<p><button>Log in</button></p></form>{{end}}
<p><a href="/">Back to the hub</a></p></body></html>
`

// mapJS zooms each cluster map with the mouse wheel around the pointer,
// pans it by dragging and resets it on double-click, by changing its viewBox.
const mapJS = `"use strict";
for (const svg of document.querySelectorAll("svg.map")) {
  const home = svg.getAttribute("viewBox");
  let box = home.split(" ").map(Number), drag = null;
  const set = () => svg.setAttribute("viewBox", box.join(" "));
  const at = (e) => {
    const r = svg.getBoundingClientRect();
    return [box[0] + (e.clientX - r.left) / r.width * box[2],
            box[1] + (e.clientY - r.top) / r.height * box[3]];
  };
  svg.addEventListener("wheel", (e) => {
    e.preventDefault();
    const [x, y] = at(e), f = e.deltaY < 0 ? 0.8 : 1.25;
    box = [x - (x - box[0]) * f, y - (y - box[1]) * f, box[2] * f, box[3] * f];
    set();
  }, {passive: false});
  svg.addEventListener("mousedown", (e) => { drag = at(e); });
  svg.addEventListener("mousemove", (e) => {
    if (!drag) return;
    const [x, y] = at(e);
    box[0] -= x - drag[0]; box[1] -= y - drag[1];
    set();
  });
  window.addEventListener("mouseup", () => { drag = null; });
  svg.addEventListener("dblclick", () => { box = home.split(" ").map(Number); set(); });
}
`

func serveMapJS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Write([]byte(mapJS))
}
