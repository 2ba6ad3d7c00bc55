import { fileURLToPath } from 'node:url';

/** The Huawei GRC file, committed in the repository (data/huawei-elevator/README.md). */
export const HUAWEI_CSV = fileURLToPath(new URL('../../data/huawei-elevator/predictive-maintenance-dataset.csv', import.meta.url));
