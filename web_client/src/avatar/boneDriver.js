/**
 * Turns joints by rotations about the WORLD axes of the avatar's rest pose (x: pitch, positive
 * looks down; y: yaw; z: roll), whatever the file's local bone axes are: a rotation R in world
 * space becomes parentRest⁻¹ · R · parentRest · localRest on the bone. glTF models face +z, so
 * one set of signs fits every model.
 */
import * as THREE from 'three';

export class BoneDriver {
  /** @param {import('three').Object3D} bone  with its rest pose in place and world matrices updated */
  constructor(bone) {
    this.bone = bone;
    this.rest = bone.quaternion.clone();
    this.parentRest = new THREE.Quaternion();
    bone.parent?.getWorldQuaternion(this.parentRest);
    this.parentRestInverse = this.parentRest.clone().invert();
    this.euler = new THREE.Euler(0, 0, 0, 'YXZ');
    this.turn = new THREE.Quaternion();
  }

  /** Sets the bone to its rest pose turned by (pitch, yaw, roll) radians about world axes. */
  set(pitch, yaw, roll) {
    this.euler.set(pitch, yaw, roll);
    this.turn.setFromEuler(this.euler);
    this.turn.premultiply(this.parentRestInverse).multiply(this.parentRest);
    this.bone.quaternion.copy(this.turn).multiply(this.rest);
  }

  /** Makes the current pose the rest pose (after a rest-pose correction such as lowering arms). */
  rebase() {
    this.rest.copy(this.bone.quaternion);
  }
}
