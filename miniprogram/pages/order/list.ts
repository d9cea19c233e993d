import { describeEntry } from '../../utils/entry';

/** A link target: shows the query and scene it was opened with. A stable link's open is reported by app.ts, once per launch. */
Component({
  data: { sceneText: '', queryText: '' },
  methods: {
    onLoad(options: Record<string, string | undefined>) {
      this.setData(describeEntry(options));
    },
  },
});
