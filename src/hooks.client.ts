import { z } from 'zod';

// Pages run under a Content-Security-Policy without 'unsafe-eval'. Zod would probe `new Function`
// on its first object parse in the browser (the self-review checklist reads the flowcharts, the
// live channel its signals) and the policy reports that probe as a violation even though it is
// caught: parse without the compiled fast path instead.
z.config({ jitless: true });
