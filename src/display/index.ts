/** Showing figures: inline in tslab, as standalone HTML files, or in nodeplotlib's window. */
export {};
