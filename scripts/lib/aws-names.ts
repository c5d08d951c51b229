/** The account moto answers as: the emulator seed's roles live there. */
const LOCAL_ACCOUNT = '123456789012';

/** A role's ARN from its name or ARN; names are taken to be roles of `account`. */
export function roleArn(value: string, account = LOCAL_ACCOUNT): string {
  return value.startsWith('arn:') ? value : `arn:aws:iam::${account}:role/${value}`;
}
