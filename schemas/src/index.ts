export { create, fromBinary, type MessageInitShape, toBinary, toJson } from '@bufbuild/protobuf';
export * from './blendshapes.js';
export * from './face-codec.js';
export * from './gen/stagecraft/v1/direction_pb.js';
export * from './gen/stagecraft/v1/messages_pb.js';
export * from './gen/stagecraft/v1/performance_pb.js';
export * from './gen/stagecraft/v1/scene_pb.js';
export * from './protocol.js';
export * from './rig-profiles.js';
