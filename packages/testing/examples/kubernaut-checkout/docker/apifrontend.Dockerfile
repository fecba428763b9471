FROM scratch
COPY go.mod /
