// Collects every item of a paginated list. The SDK's own iterator stops only at an empty page, which costs
// one extra request per list; a page shorter than per_page is the last one too.
interface Page<T> {
  result: T[];
  hasNextPage(): boolean;
  getNextPage(): Promise<Page<T>>;
}

export async function allItems<T>(first: PromiseLike<Page<T>>, perPage: number): Promise<T[]> {
  const items: T[] = [];
  let page = await first;
  for (;;) {
    items.push(...page.result);
    if (page.result.length < perPage || !page.hasNextPage()) return items;
    page = await page.getNextPage();
  }
}
