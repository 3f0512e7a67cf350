// The jsonld package ships no types; only what the context test calls.
declare module 'jsonld' {
  const jsonld: {
    expand(input: object, options: { documentLoader: (url: string) => Promise<unknown>; safe?: boolean }): Promise<unknown[]>;
  };
  export default jsonld;
}
