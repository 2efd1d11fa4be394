import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tableDefinition } from '#functions/adapters/table-definition.ts';

export interface DataProps {
  /** Production keeps the table on stack deletion and refuses deletes. @default false */
  production?: boolean;
}

/**
 * The one DynamoDB table, built from functions/adapters/table-definition.ts (the same
 * definition the local runtime creates), encrypted with our own KMS key (clause 12:
 * personal data stored encrypted), point-in-time recovery on.
 */
export class Data extends Construct {
  readonly table: Table;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);
    this.key = new Key(this, 'TableKey', {
      description: 'Encrypts the after-sales table (personal data of customers)',
      enableKeyRotation: true,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const key = (name: string) => ({ name, type: AttributeType.STRING });
    // Table (not TableV2): TableV2 cannot render a customer key in a region-agnostic synth.
    this.table = new Table(this, 'Table', {
      partitionKey: key(tableDefinition.partitionKey),
      sortKey: key(tableDefinition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.production ?? false,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
    });
    for (const index of tableDefinition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: ProjectionType[index.projection],
        ...('nonKeyAttributes' in index ? { nonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      });
    }
  }
}
