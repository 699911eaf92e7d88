import { defineConfig } from 'vitepress';

export default defineConfig({
  title: 'Offgrid',
  description: 'An open-source, self-hostable, offline-first data store for web apps — where Amplify DataStore apps go next.',
  cleanUrls: true,
  srcExclude: ['snippets/**', 'scripts/**', 'README.md'],
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Server', link: '/server/' },
      { text: 'Migrating from Amplify', link: '/migration/' },
      { text: 'Benchmarks', link: '/benchmarks' },
    ],
    sidebar: [
      {
        text: 'Getting started',
        items: [
          { text: 'Install and first store', link: '/guide/getting-started' },
          { text: 'React', link: '/guide/react' },
          { text: 'Vue', link: '/guide/vue' },
          { text: 'Angular', link: '/guide/angular' },
          { text: 'Svelte', link: '/guide/svelte' },
        ],
      },
      {
        text: 'Using the store',
        items: [
          { text: 'The schema language', link: '/guide/schema' },
          { text: 'Storage', link: '/guide/storage' },
          { text: 'Saving and reading', link: '/guide/records' },
          { text: 'Queries and predicates', link: '/guide/queries' },
          { text: 'Live queries', link: '/guide/live-queries' },
          { text: 'Sync and conflicts', link: '/guide/sync' },
          { text: 'Events', link: '/guide/events' },
        ],
      },
      {
        text: 'The sync server',
        items: [
          { text: 'offgrid serve', link: '/server/' },
          { text: 'Auth rules', link: '/server/auth' },
          { text: 'Deployment', link: '/server/deployment' },
        ],
      },
      {
        text: 'Migrating from Amplify',
        items: [
          { text: 'Port your app', link: '/migration/' },
          { text: 'Keep your Amplify app', link: '/migration/keep-your-amplify-app' },
        ],
      },
      { text: 'Benchmarks', link: '/benchmarks' },
    ],
    outline: 'deep',
  },
});
