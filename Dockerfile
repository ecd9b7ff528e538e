# The bildungsgraph server. Used by docker-compose.yml; build with `docker build -t bildungsgraph .`.

# Web assets (GraphiQL) from npm, bundled with esbuild.
FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY web/package.json web/package-lock.json web/
RUN npm --prefix web ci --no-audit --no-fund
COPY web web
COPY internal/web/dist internal/web/dist
RUN npm --prefix web run build

# The Go binary, with the assets embedded.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/internal/web/dist internal/web/dist
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/bildungsgraph ./cmd/bildungsgraph

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/bildungsgraph /bildungsgraph
ENV BILDUNGSGRAPH_ADDR=:8080 BILDUNGSGRAPH_DATA=/data/landscape.db
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/bildungsgraph"]
CMD ["serve"]
