// GraphiQL für bildungsgraph – wird mit esbuild gebündelt (web/build.mjs) und
// vom Go-Server aus internal/web/dist ausgeliefert. Keine Anfragen an fremde
// Hosts: Skripte, Styles und Schriften kommen alle aus diesem Bündel.
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher, createLocalStorage } from '@graphiql/toolkit';
import 'graphiql/graphiql.css';
import './graphiql.css';
import { exampleTabs, gremien } from './queries.js';

// The Go handler replaces this marker with the configured endpoint; when the
// page is opened without the server (e.g. straight from dist/) we fall back
// to the same-origin default.
const MARKER = '__BILDUNGSGRAPH_GRAPHQL_ENDPOINT__';
const DEFAULT_ENDPOINT = '/graphql';

function endpointFrom(el) {
  const value = (el && el.getAttribute('data-endpoint')) || '';
  if (value === '' || value.includes(MARKER)) {
    return DEFAULT_ENDPOINT;
  }
  return value;
}

const root = document.getElementById('graphiql');
const endpoint = endpointFrom(root);
// fetch() needs an absolute URL only for cross-origin use; resolve relative
// endpoints against the page so "/graphql" stays same-origin.
const url = new URL(endpoint, window.location.href).toString();

const fetcher = createGraphiQLFetcher({ url });
const storage = createLocalStorage({ namespace: 'bildungsgraph' });

function App() {
  return (
    <GraphiQL
      fetcher={fetcher}
      storage={storage}
      defaultTabs={exampleTabs}
      defaultQuery={gremien}
      defaultEditorToolsVisibility={false}
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>
        <span className="bildungsgraph-logo">bildungsgraph</span>
      </GraphiQL.Logo>
    </GraphiQL>
  );
}

createRoot(root).render(<App />);
