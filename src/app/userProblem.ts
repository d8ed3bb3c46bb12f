// A problem the member caused (bad input, a missing permission, something
// expired): thrown by an option parser or a use case, and answered by the
// front end as one short private line, never logged as a failure.

export class UserProblem extends Error {
  override name = 'UserProblem';
}
