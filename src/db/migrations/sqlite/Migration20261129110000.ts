import { Migration } from '@mikro-orm/migrations';
import { identityKeyOf } from '../../../intake/normalise.js';

/**
 * Data only: every applicant's identity key again, now that the address part of it leaves out what
 * only says how an address was typed (designators, postcode, region, district), so that the same
 * household links across the lines. Keys of applicants stored before would otherwise never match
 * those computed from now on.
 */
export class Migration20261129110000 extends Migration {
  override async up(): Promise<void> {
    const rows = (await this.execute(
      'select id, last_name, first_name, address, identity_key from applicant where identity_key is not null',
    )) as { id: string; last_name: string | null; first_name: string | null; address: string | null; identity_key: string }[];
    for (const r of rows) {
      const key = identityKeyOf({ lastName: r.last_name, firstName: r.first_name, address: r.address });
      if (key !== r.identity_key) await this.execute('update applicant set identity_key = ? where id = ?', [key, r.id]);
    }
  }
}
