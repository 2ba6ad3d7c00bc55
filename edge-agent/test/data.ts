import { fileURLToPath } from 'node:url';

/** The Huawei GRC file in ../shared/data beside the repository (CI puts a copy of /work/shared there). */
export const HUAWEI_CSV = fileURLToPath(new URL('../../../shared/data/huawei-elevator/predictive-maintenance-dataset.csv', import.meta.url));
