import { describeEntry } from '../../../utils/entry';

/** A link target: shows the query and scene it was opened with (see utils/entry.ts). */
Component({
  data: { sceneText: '', queryText: '' },
  methods: {
    onLoad(options: Record<string, string | undefined>) {
      this.setData(describeEntry(options));
    },
  },
});
