// Package friends is friend activity (#17): the in-process ActivityStore
// (Memory), the live hub that pushes a play to the viewers following its
// player (Hub), and the feed that turns playback events from the log into
// both (Feed), dropping the plays of users who hide their listening.
//
// The design is fan-out on read: a play writes one entry, whatever the
// player's follower count; a viewer reads the entries of the users they
// follow. Only viewers connected to a live stream are pushed to, through
// an index from the followed user to their streams.
package friends
