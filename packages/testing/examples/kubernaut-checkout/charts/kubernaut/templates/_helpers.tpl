{{/* Release-derived prefix: the release name, or "<release>-kubernaut" when it does not contain the chart name. */}}
{{- define "kubernaut.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end }}

{{- define "kubernaut.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kubernaut
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
An image the project publishes: <registry>/[<namespace>/]<service>:<tag or appVersion>.
Usage: {{ include "kubernaut.image" (dict "root" $ "service" "datastorage") }}
*/}}
{{- define "kubernaut.image" -}}
{{- $img := .root.Values.global.image -}}
{{- $repo := .service -}}
{{- if $img.namespace }}{{ $repo = printf "%s/%s" $img.namespace .service }}{{ end -}}
{{- printf "%s/%s:%s" $img.registry $repo (default .root.Chart.AppVersion $img.tag) -}}
{{- end }}

{{- define "kubernaut.pullPolicy" -}}
{{- .Values.global.image.pullPolicy -}}
{{- end }}

{{/* In-cluster addresses of the data tier. */}}
{{- define "kubernaut.postgresHost" -}}
postgresql.{{ .Release.Namespace }}.svc.cluster.local
{{- end }}

{{- define "kubernaut.valkeyAddr" -}}
valkey.{{ .Release.Namespace }}.svc.cluster.local:6380
{{- end }}

{{/* The inter-service CA bundle (ConfigMap inter-service-ca), mounted at /etc/tls-ca. */}}
{{- define "kubernaut.tlsCaVolume" -}}
- name: tls-ca
  configMap:
    name: inter-service-ca
    optional: true
{{- end }}

{{- define "kubernaut.tlsCaMount" -}}
- name: tls-ca
  mountPath: /etc/tls-ca
  readOnly: true
{{- end }}
