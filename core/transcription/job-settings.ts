import type { Settings } from '../../contracts/domain';
import type { JobRecord } from '../library/job-store';

/** The settings a job runs under: Settings as they are now, with the file's own choices on top. */
export function settingsFor(job: Pick<JobRecord, 'options'>, settings: Settings): Settings {
  return { ...settings, ...job.options };
}
