// A lab with a baton session polling it, for the integration tests that
// watch faults reach the store: start it in beforeAll, stop() it in
// afterAll (the session first, then the lab).
import { openSession, type Session } from '../../src/cli/session.js';
import { startTestLab, type TestLab } from './lab.js';
import { sessionOptions } from './session-options.js';

export interface LabSession {
  lab: TestLab;
  session: Session;
  stop(): Promise<void>;
}

export async function startLabSession(intervalS: number, options: { with?: string[] } = {}): Promise<LabSession> {
  const lab = await startTestLab(options);
  try {
    const session = await openSession(sessionOptions({ inventory: lab.files.inventory, interval: intervalS }));
    session.monitor.start();
    return {
      lab,
      session,
      async stop() {
        await session.monitor.stop();
        await lab.down();
      },
    };
  } catch (err) {
    await lab.down();
    throw err;
  }
}
