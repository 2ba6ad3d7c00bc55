import { lwError, LiftwatchError } from '@liftwatch/contract';
import { checkPasswordStrength, randomPassword, type UserStore } from '@liftwatch/dashboards';

export interface FirstAdminOptions {
  /** The configured password (setting adminPassword); empty: a one-time one is printed. */
  readonly configured: string;
  /** Hours the printed one-time password stays valid. */
  readonly oneTimeHours: number;
  /** Least zxcvbn score of a password. */
  readonly passwordMinScore: number;
}

const ADMIN = { name: 'Administrator', role: 'admin', orgId: null, areaCode: null, disabled: false } as const;

/**
 * At first start (no users yet) creates user "admin": with the configured password (the operator's
 * own choice, checked like any other), or with a one-time password that `tell` prints once to the
 * operator's terminal (stderr) and never into the JSON log, which ships to log collectors. The
 * one-time password expires after `oneTimeHours` and must be replaced at the first login. Until it
 * is, each start prints a new one (the previous stops working): a lost or expired one costs a restart.
 */
export async function ensureFirstAdmin(users: UserStore, o: FirstAdminOptions, log: (line: string) => void, tell: (text: string) => void): Promise<void> {
  if (await users.count() > 0) {
    const admin = await users.get('admin');
    if (!admin?.mustChangePassword) return;
    const expiresAt = await issueOneTime(users, o, tell);
    log(`liftwatch: "admin" has not chosen a password yet: a new one-time password is printed on the terminal (not logged), valid until ${new Date(expiresAt).toISOString()}; the previous one no longer works`);
    return;
  }
  if (o.configured !== '') {
    try {
      checkPasswordStrength(o.configured, { userInputs: ['admin', ADMIN.name, 'liftwatch'], minScore: o.passwordMinScore, what: 'the password' });
    } catch (err) {
      if (!(err instanceof LiftwatchError)) throw err;
      throw lwError('LW_ERR_CONFIG_INVALID', `setting adminPassword (LIFTWATCH_ADMIN_PASSWORD): ${err.message}; or leave it empty for a printed one-time password`, err);
    }
    await users.upsert('admin', { ...ADMIN, password: o.configured });
    log('liftwatch: created user "admin" with the configured password');
    return;
  }
  await users.upsert('admin', { ...ADMIN, password: randomPassword() });
  const expiresAt = await issueOneTime(users, o, tell);
  log(`liftwatch: created user "admin" with a one-time password, printed on the terminal (not logged): valid until ${new Date(expiresAt).toISOString()}, to be changed at the first login`);
}

async function issueOneTime(users: UserStore, o: FirstAdminOptions, tell: (text: string) => void): Promise<number> {
  const password = randomPassword();
  const expiresAt = Date.now() + o.oneTimeHours * 3_600_000;
  await users.setPassword('admin', password, { expiresAt });
  tell([
    '',
    '  liftwatch: user "admin" has this one-time password:',
    '',
    `      ${password}`,
    '',
    `  Log in to the console as admin with it before ${new Date(expiresAt).toString()};`,
    '  you will then choose your own password. It is shown only here, not in the log.',
    '  Lost or expired: restart liftwatch for a new one.',
    '',
    '',
  ].join('\n'));
  return expiresAt;
}
