import { type AlarmSpec, alarms, type MetricStat } from './alarms.js';
import { dashboards, FLEET_NAMESPACE, SPOT_INTERRUPTIONS } from './dashboards.js';
import type { InfraSettings } from './infra-settings.js';

type Json = Record<string, unknown>;

const dims = (d: Record<string, string>) => Object.entries(d).map(([Name, Value]) => ({ Name, Value }));
const isPercentile = (stat: string) => /^p\d+(\.\d+)?$/.test(stat);

function metricStat(m: MetricStat, periodS: number): Json {
  return {
    Metric: { Namespace: m.namespace, MetricName: m.name, Dimensions: dims(m.dimensions) },
    Period: periodS,
    Stat: m.stat,
  };
}

function alarmResource(a: AlarmSpec): Json {
  const topic = { Ref: a.severity === 'critical' ? 'CriticalTopic' : 'WarningTopic' };
  const props: Json = {
    AlarmName: a.name,
    AlarmDescription: a.description,
    ComparisonOperator: a.comparison,
    Threshold: typeof a.threshold === 'number' ? a.threshold : { Ref: a.threshold.parameter },
    EvaluationPeriods: a.evaluationPeriods,
    DatapointsToAlarm: a.evaluationPeriods,
    TreatMissingData: a.treatMissingData,
    AlarmActions: [topic],
    OKActions: [topic],
  };
  if ('expression' in a.metric) {
    props.Metrics = [
      ...Object.entries(a.metric.metrics).map(([Id, m]) => ({
        Id,
        MetricStat: metricStat(m, a.periodS),
        ReturnData: false,
      })),
      { Id: 'result', Expression: a.metric.expression, Label: a.name, ReturnData: true },
    ];
  } else {
    const m = a.metric;
    Object.assign(props, {
      Namespace: m.namespace,
      MetricName: m.name,
      Dimensions: dims(m.dimensions),
      Period: a.periodS,
      ...(isPercentile(m.stat) ? { ExtendedStatistic: m.stat } : { Statistic: m.stat }),
    });
  }
  return { Type: 'AWS::CloudWatch::Alarm', Properties: props };
}

function topic(name: string): Json {
  return { Type: 'AWS::SNS::Topic', Properties: { TopicName: name } };
}

function subscription(topicRef: string): Json {
  return {
    Type: 'AWS::SNS::Subscription',
    Condition: 'HasAlarmEmail',
    Properties: { TopicArn: { Ref: topicRef }, Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } },
  };
}

/** Spot warnings (EC2) and Fargate Spot task stops, as log events a metric filter counts. */
function spotResources(s: InfraSettings): Json {
  const group = `/stagecraft/${s.cluster}/spot-interruptions`;
  const target = [{ Id: 'log', Arn: { 'Fn::GetAtt': ['SpotLogGroup', 'Arn'] } }];
  return {
    SpotLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: group, RetentionInDays: 30 } },
    SpotLogPolicy: {
      Type: 'AWS::Logs::ResourcePolicy',
      Properties: {
        PolicyName: `${s.cluster}-spot-events`,
        PolicyDocument: {
          'Fn::Sub': JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: '${SpotLogGroup.Arn}',
              },
            ],
          }),
        },
      },
    },
    SpotWarningRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
        Targets: target,
      },
    },
    FargateSpotStopRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: {
          source: ['aws.ecs'],
          'detail-type': ['ECS Task State Change'],
          detail: { stopCode: ['SpotInterruption'], lastStatus: ['STOPPED'] },
        },
        Targets: target,
      },
    },
    SpotMetricFilter: {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: { Ref: 'SpotLogGroup' },
        FilterPattern: '{ $.detail-type = * }',
        MetricTransformations: [
          { MetricNamespace: FLEET_NAMESPACE, MetricName: SPOT_INTERRUPTIONS, MetricValue: '1', DefaultValue: 0 },
        ],
      },
    },
  };
}

/** The CloudFormation template of the monitoring stack: SNS topics, alarms, dashboards, spot counting. */
export function monitoringStack(s: InfraSettings): Json {
  const resources: Json = {
    CriticalTopic: topic(`${s.cluster}-critical`),
    WarningTopic: topic(`${s.cluster}-warning`),
    CriticalEmail: subscription('CriticalTopic'),
    WarningEmail: subscription('WarningTopic'),
    ...spotResources(s),
  };
  for (const a of alarms(s)) resources[a.id] = alarmResource(a);
  for (const [name, body] of Object.entries(dashboards(s))) {
    const id = `${name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}Dashboard`;
    resources[id] = {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: { DashboardName: `${s.cluster}-${name}`, DashboardBody: JSON.stringify(body) },
    };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Stagecraft monitoring for cluster ${s.cluster}: dashboards, alarms routed to SNS, spot interruption counts`,
    Parameters: {
      AlarmEmail: {
        Type: 'String',
        Default: '',
        Description: 'Address subscribed to both alarm topics; empty for none',
      },
      DailySpendUsd: { Type: 'Number', Default: s.dailySpendUsd, Description: 'Daily spend alarm threshold, USD' },
      MonthlySpendUsd: {
        Type: 'Number',
        Default: s.monthlySpendUsd,
        Description: 'Projected monthly spend alarm threshold, USD',
      },
    },
    Conditions: { HasAlarmEmail: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, ''] }] } },
    Resources: resources,
    Outputs: {
      CriticalTopicArn: { Value: { Ref: 'CriticalTopic' } },
      WarningTopicArn: { Value: { Ref: 'WarningTopic' } },
    },
  };
}
