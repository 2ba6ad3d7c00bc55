import { fileURLToPath } from 'node:url';

/** The Huawei GRC file, kept in the repository with the simulator (packages/simulator/data/huawei-elevator/README.md). */
export const HUAWEI_CSV = fileURLToPath(new URL('../../packages/simulator/data/huawei-elevator/predictive-maintenance-dataset.csv', import.meta.url));
