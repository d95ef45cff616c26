/**
 * Keeps a scrolling list showing its newest entry while the reader is at the end: when entries
 * are added, or when the list gets shorter because a banner, quick replies, the typing line or
 * the rating form appeared around it. A reader who scrolled up to read is left where they are.
 * Scrolls the list only, never the page around it (the widget lives on a shop's page).
 */
const SLACK_PX = 24;

export function stickToBottom(list) {
  let pinned = true;
  const atEnd = () => list.scrollHeight - list.scrollTop - list.clientHeight <= SLACK_PX;
  const follow = () => { if (pinned) list.scrollTop = list.scrollHeight; };
  const onScroll = () => { pinned = atEnd(); };
  list.addEventListener('scroll', onScroll, { passive: true });
  const view = list.ownerDocument.defaultView;
  const resized = view?.ResizeObserver ? new view.ResizeObserver(follow) : null;
  resized?.observe(list);
  const added = view?.MutationObserver ? new view.MutationObserver(follow) : null;
  added?.observe(list, { childList: true, subtree: true, characterData: true });
  return {
    /** Back to the end (after the customer sends: they want to see their message). */
    jump() { pinned = true; follow(); },
    follow,
    dispose() { list.removeEventListener('scroll', onScroll); resized?.disconnect(); added?.disconnect(); },
  };
}
