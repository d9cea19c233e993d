import { describeEntry, reportLanded } from '../../utils/entry';

/** A link target: shows the query and scene it was opened with, and reports a stable link's open (see utils/entry.ts). */
Component({
  data: { sceneText: '', queryText: '' },
  methods: {
    onLoad(options: Record<string, string | undefined>) {
      this.setData(describeEntry(options));
      // Counts the open when a stable link opened the page; never waited for, never shown.
      void reportLanded(options);
    },
  },
});
