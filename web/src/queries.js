// Beispielabfragen, die GraphiQL beim ersten Besuch als Tabs öffnet (danach
// merkt sich GraphiQL die Tabs der Nutzerin im localStorage).
// The .graphql files are bundled as text (esbuild loader "text"), and
// internal/web/web_test.go validates them against the server's schema.
import gremien from './queries/1-gremien.graphql';
import bildungsbueros from './queries/2-bildungsbueros.graphql';
import nachbarschaft from './queries/3-nachbarschaft.graphql';

export { gremien, bildungsbueros, nachbarschaft };

export const exampleTabs = [gremien, bildungsbueros, nachbarschaft].map((query) => ({ query }));
