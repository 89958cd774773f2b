/**
 * The form field a confirmed submission carries. Destructive form actions refuse a post without
 * it, so nothing is deleted unconfirmed, not even when the page's script has not loaded yet.
 */
export const CONFIRMED_FIELD = 'confirmed';
