module github.com/jordigilh/kubernaut
