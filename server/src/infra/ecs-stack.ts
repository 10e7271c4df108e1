import { SCALER_AUTOSCALE, SCALER_TAG } from './autoscale/autoscale-settings.js';
import type { InfraService, InfraSettings } from './infra-settings.js';
import { dimensionsSetting } from './metric-refs.js';

type Json = Record<string, unknown>;

const PORT = 2567;
const pascal = (s: string) => s.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

/** Settings each tier's tasks run with (docs/configuration.md, docs/operations.md). */
export function taskEnvironment(s: InfraSettings, svc: InfraService): Record<string, string> {
  const env: Record<string, string> = {
    PORT: String(PORT),
    STAGECRAFT_METRICS_SINK: 'emf',
    STAGECRAFT_METRICS_NAMESPACE: s.namespace,
    STAGECRAFT_METRICS_DIMENSIONS: dimensionsSetting(s, svc),
    STAGECRAFT_METRICS_FLUSH_MS: '60000',
    STAGECRAFT_SHUTDOWN_TIMEOUT_MS: '90000',
    STAGECRAFT_MODELS_DIR: '/models',
  };
  if (svc.modelTiers.includes('gold')) env.STAGECRAFT_DIALOGUE_GOLD = 'qwen2.5-0.5b-instruct-q4_k_m';
  if (svc.modelTiers.includes('silver')) env.STAGECRAFT_DIALOGUE_SILVER = 'qwen2.5-0.5b-instruct-q4_k_m';
  return env;
}

function taskDefinition(s: InfraSettings, svc: InfraService): Json {
  const onGpu = svc.gpus > 0;
  return {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      Family: `${s.cluster}-${svc.name}`,
      RequiresCompatibilities: [onGpu ? 'EC2' : 'FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: String(svc.cpu),
      Memory: String(svc.memoryMiB),
      ExecutionRoleArn: { 'Fn::GetAtt': ['ExecutionRole', 'Arn'] },
      TaskRoleArn: { 'Fn::GetAtt': ['TaskRole', 'Arn'] },
      ContainerDefinitions: [
        {
          Name: 'stagecraft',
          Image: s.image,
          Command: ['serve'],
          Essential: true,
          PortMappings: [{ ContainerPort: PORT, Protocol: 'tcp' }],
          Environment: Object.entries(taskEnvironment(s, svc)).map(([Name, Value]) => ({ Name, Value })),
          // /readyz turns 503 as soon as SIGTERM arrives, so no new work is routed to a stopping task.
          HealthCheck: {
            Command: [
              'CMD-SHELL',
              `node -e "fetch('http://127.0.0.1:${PORT}/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`,
            ],
            Interval: 15,
            Timeout: 5,
            Retries: 3,
            StartPeriod: 60,
          },
          // Longer than STAGECRAFT_SHUTDOWN_TIMEOUT_MS: rooms drain before SIGKILL.
          StopTimeout: 120,
          ...(onGpu ? { ResourceRequirements: [{ Type: 'GPU', Value: String(svc.gpus) }] } : {}),
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: {
              'awslogs-group': { Ref: 'LogGroup' },
              'awslogs-region': { Ref: 'AWS::Region' },
              'awslogs-stream-prefix': svc.name,
            },
          },
        },
      ],
    },
  };
}

function service(s: InfraSettings, svc: InfraService): Json {
  const onGpu = svc.gpus > 0;
  const spotWeight = Math.round(svc.spotShare * 100);
  const strategy = onGpu
    ? [{ CapacityProvider: { Ref: `${pascal(svc.name)}CapacityProvider` }, Weight: 1, Base: 0 }]
    : [
        { CapacityProvider: 'FARGATE', Weight: 100 - spotWeight, Base: svc.minTasks > 0 ? 1 : 0 },
        { CapacityProvider: 'FARGATE_SPOT', Weight: spotWeight },
      ].filter((p) => p.Weight > 0 || p.Base);
  return {
    Type: 'AWS::ECS::Service',
    DependsOn: ['CapacityProviders'],
    Properties: {
      ServiceName: svc.name,
      Cluster: { Ref: 'Cluster' },
      TaskDefinition: { Ref: `${pascal(svc.name)}Task` },
      DesiredCount: svc.minTasks,
      CapacityProviderStrategy: strategy,
      DeploymentConfiguration: { MinimumHealthyPercent: 100, MaximumPercent: 200 },
      NetworkConfiguration: {
        AwsvpcConfiguration: { Subnets: { Ref: 'Subnets' }, SecurityGroups: { Ref: 'SecurityGroups' } },
      },
      Tags: [
        { Key: 'stagecraft:tier', Value: svc.tier },
        { Key: 'stagecraft:min-tasks', Value: String(svc.minTasks) },
        { Key: 'stagecraft:max-tasks', Value: String(svc.maxTasks) },
        // `stagecraft autoscale` drives only a service tagged for it, so that it and Application
        // Auto Scaling never both set one service's desired count.
        { Key: SCALER_TAG, Value: svc.autoscale ? SCALER_AUTOSCALE : 'none' },
      ],
    },
  };
}

/** GPU instances for a gold service: a launch template, an Auto Scaling group, a capacity provider. */
function gpuCapacity(s: InfraSettings, svc: InfraService): Json {
  const P = pascal(svc.name);
  return {
    [`${P}LaunchTemplate`]: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: {
        LaunchTemplateData: {
          ImageId: { Ref: 'GpuAmiId' },
          IamInstanceProfile: { Arn: { 'Fn::GetAtt': ['InstanceProfile', 'Arn'] } },
          SecurityGroupIds: { Ref: 'SecurityGroups' },
          UserData: {
            'Fn::Base64': {
              'Fn::Sub': `#!/bin/bash\necho ECS_CLUSTER=\${Cluster} >> /etc/ecs/ecs.config\necho ECS_ENABLE_GPU_SUPPORT=true >> /etc/ecs/ecs.config\necho ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config\n`,
            },
          },
        },
      },
    },
    [`${P}Instances`]: {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: {
        MinSize: '0',
        MaxSize: String(svc.maxTasks),
        VPCZoneIdentifier: { Ref: 'Subnets' },
        NewInstancesProtectedFromScaleIn: true,
        MixedInstancesPolicy: {
          LaunchTemplate: {
            LaunchTemplateSpecification: {
              LaunchTemplateId: { Ref: `${P}LaunchTemplate` },
              Version: { 'Fn::GetAtt': [`${P}LaunchTemplate`, 'LatestVersionNumber'] },
            },
            Overrides: [{ InstanceType: { Ref: 'GpuInstanceType' } }],
          },
          InstancesDistribution: {
            OnDemandBaseCapacity: svc.minTasks,
            OnDemandPercentageAboveBaseCapacity: Math.round((1 - svc.spotShare) * 100),
            SpotAllocationStrategy: 'capacity-optimized',
          },
        },
      },
    },
    [`${P}CapacityProvider`]: {
      Type: 'AWS::ECS::CapacityProvider',
      Properties: {
        AutoScalingGroupProvider: {
          AutoScalingGroupArn: { Ref: `${P}Instances` },
          ManagedScaling: { Status: 'ENABLED', TargetCapacity: 100 },
          ManagedTerminationProtection: 'ENABLED',
        },
      },
    },
  };
}

/** The CloudFormation template of the ECS stack: one service per tier, GPU capacity for gold. */
export function ecsStack(s: InfraSettings): Json {
  const gpuServices = s.services.filter((svc) => svc.gpus > 0);
  const resources: Json = {
    Cluster: {
      Type: 'AWS::ECS::Cluster',
      Properties: { ClusterName: s.cluster, ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] },
    },
    CapacityProviders: {
      Type: 'AWS::ECS::ClusterCapacityProviderAssociations',
      Properties: {
        Cluster: { Ref: 'Cluster' },
        CapacityProviders: [
          'FARGATE',
          'FARGATE_SPOT',
          ...gpuServices.map((g) => ({ Ref: `${pascal(g.name)}CapacityProvider` })),
        ],
        DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
      },
    },
    LogGroup: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: `/stagecraft/${s.cluster}`, RetentionInDays: 30 },
    },
    ExecutionRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assume('ecs-tasks.amazonaws.com'),
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
      },
    },
    TaskRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assume('ecs-tasks.amazonaws.com'),
        Policies: [
          {
            PolicyName: 'publish-metrics',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'cloudwatch:PutMetricData',
                  Resource: '*',
                  Condition: { StringEquals: { 'cloudwatch:namespace': s.namespace } },
                },
              ],
            },
          },
        ],
      },
    },
  };
  if (s.services.some((svc) => svc.autoscale)) {
    // For the role `stagecraft autoscale` runs under: it reads and sets this cluster's services only.
    const arn = 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}';
    resources.AutoscalerPolicy = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Description: `stagecraft autoscale: read and set desired counts of cluster ${s.cluster}'s services, list their tasks`,
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
              Resource: { 'Fn::Sub': `${arn}:service/${s.cluster}/*` },
            },
            // Its tasks' addresses, to read each task's /metrics.
            { Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: { 'Fn::Sub': `${arn}:task/${s.cluster}/*` } },
            {
              Effect: 'Allow',
              Action: 'ecs:ListTasks',
              Resource: '*',
              Condition: { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': ['Cluster', 'Arn'] } } },
            },
          ],
        },
      },
    };
  }
  if (gpuServices.length > 0) {
    resources.InstanceRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assume('ec2.amazonaws.com'),
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role'],
      },
    };
    resources.InstanceProfile = { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [{ Ref: 'InstanceRole' }] } };
    for (const g of gpuServices) Object.assign(resources, gpuCapacity(s, g));
  }
  for (const svc of s.services) {
    resources[`${pascal(svc.name)}Task`] = taskDefinition(s, svc);
    resources[`${pascal(svc.name)}Service`] = service(s, svc);
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Stagecraft on ECS, cluster ${s.cluster}: ${s.services.map((x) => `${x.name} (${x.tier})`).join(', ')}`,
    Parameters: {
      Subnets: { Type: 'List<AWS::EC2::Subnet::Id>', Description: 'Subnets for tasks and GPU instances' },
      SecurityGroups: {
        Type: 'List<AWS::EC2::SecurityGroup::Id>',
        Description: `Allow TCP ${PORT} from your load balancer`,
      },
      GpuAmiId: {
        Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
        Default: '/aws/service/ecs/optimized-ami/amazon-linux-2/gpu/recommended/image_id',
      },
      GpuInstanceType: { Type: 'String', Default: 'g5.xlarge' },
    },
    Resources: resources,
    ...(resources.AutoscalerPolicy ? { Outputs: { AutoscalerPolicyArn: { Value: { Ref: 'AutoscalerPolicy' } } } } : {}),
  };
}

function assume(service: string): Json {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  };
}
